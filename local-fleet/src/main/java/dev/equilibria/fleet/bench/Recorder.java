package dev.equilibria.fleet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Collects the run's finished requests from many threads and counts them for the progress line. */
public final class Recorder {

    private final List<RequestResult> results = new ArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();

    void sent() {
        sent.incrementAndGet();
    }

    void finished(RequestResult result) {
        synchronized (results) {
            results.add(result);
        }
        switch (result.outcome()) {
            case SUCCESS -> succeeded.incrementAndGet();
            case EXPLICIT_ERROR -> failed.incrementAndGet();
            case LOST -> lost.incrementAndGet();
        }
    }

    public int sentCount() {
        return sent.get();
    }

    public int finishedCount() {
        return succeeded.get() + failed.get() + lost.get();
    }

    public int succeededCount() {
        return succeeded.get();
    }

    public int failedCount() {
        return failed.get() + lost.get();
    }

    public int inFlight() {
        return sent.get() - finishedCount();
    }

    /** The results so far, in the order the requests were sent. */
    public List<RequestResult> results() {
        synchronized (results) {
            List<RequestResult> copy = new ArrayList<>(results);
            copy.sort(Comparator.comparingLong(RequestResult::startNanos));
            return copy;
        }
    }
}
