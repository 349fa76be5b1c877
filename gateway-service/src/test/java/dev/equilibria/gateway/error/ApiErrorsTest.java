package dev.equilibria.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.gateway.pipeline.NoWorkerAvailableException;
import dev.equilibria.gateway.pipeline.WorkerCallException;
import dev.equilibria.protocol.WorkerRole;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

class ApiErrorsTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(new NoWorkerAvailableException(WorkerRole.PREFILL, "m"), 503,
                        ErrorCodes.NO_PREFILL_WORKER),
                Arguments.of(new NoWorkerAvailableException(WorkerRole.DECODE, "m"), 503,
                        ErrorCodes.NO_DECODE_WORKER),
                Arguments.of(WorkerCallException.unreachable(WorkerRole.PREFILL, "p", new IOException("refused")), 503,
                        ErrorCodes.WORKER_UNAVAILABLE),
                Arguments.of(WorkerCallException.rejected(WorkerRole.PREFILL, "p", 503, "overloaded"), 503,
                        ErrorCodes.WORKER_UNAVAILABLE),
                Arguments.of(WorkerCallException.rejected(WorkerRole.DECODE, "d", 409, "draining"), 503,
                        ErrorCodes.WORKER_UNAVAILABLE),
                Arguments.of(WorkerCallException.rejected(WorkerRole.PREFILL, "p", 500, "boom"), 502,
                        ErrorCodes.WORKER_ERROR),
                Arguments.of(WorkerCallException.rejected(WorkerRole.PREFILL, "p", 400, "bad"), 502,
                        ErrorCodes.WORKER_ERROR),
                Arguments.of(WorkerCallException.badResponse(WorkerRole.DECODE, "d", "gap"), 502,
                        ErrorCodes.WORKER_ERROR),
                Arguments.of(new TimeoutException(), 504, ErrorCodes.TIMEOUT),
                Arguments.of(new ResponseStatusException(HttpStatus.NOT_FOUND), 404, ErrorCodes.NOT_FOUND),
                Arguments.of(new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED), 405,
                        ErrorCodes.METHOD_NOT_ALLOWED),
                Arguments.of(new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE), 415,
                        ErrorCodes.UNSUPPORTED_MEDIA_TYPE),
                Arguments.of(new IllegalStateException("bug"), 500, ErrorCodes.INTERNAL_ERROR));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("errors")
    void mapsEveryFailureToAnOpenAiError(Throwable error, int status, String code) {
        ApiException api = ApiErrors.from(error);

        assertThat(api.status().value()).isEqualTo(status);
        assertThat(api.code()).isEqualTo(code);
        assertThat(api.type()).isNotBlank();
        assertThat(api.getMessage()).isNotBlank().doesNotContain("Exception");
    }
}
