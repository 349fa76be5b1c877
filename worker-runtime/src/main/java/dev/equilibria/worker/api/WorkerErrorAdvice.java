package dev.equilibria.worker.api;

import dev.equilibria.protocol.worker.WorkerPaths;
import dev.equilibria.worker.host.WorkerFullException;
import dev.equilibria.worker.host.WorkerUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps worker refusals to problem documents: the gateway retries 409, 429 and 503 on another worker. */
@RestControllerAdvice(assignableTypes = WorkerLegController.class)
public class WorkerErrorAdvice {

    @ExceptionHandler(WorkerUnavailableException.class)
    public ProblemDetail unavailable(WorkerUnavailableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    /** Answered at once, so the refusal costs the gateway one round trip. */
    @ExceptionHandler(WorkerFullException.class)
    public ProblemDetail full(WorkerFullException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(WorkerPaths.FULL_STATUS),
                e.getMessage());
        problem.setTitle("Worker full");
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ProblemDetail invalid(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
