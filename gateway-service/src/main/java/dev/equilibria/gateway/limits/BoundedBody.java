package dev.equilibria.gateway.limits;

import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Collects a request body's buffers up to {@code keepBytes}; past that it drops what arrives, so that the rest of an
 * oversized body is still read off the connection, up to {@code readBytes} in all. Fed one buffer at a time by a
 * single subscriber (Reactor's serial signals), so not thread-safe.
 */
final class BoundedBody {

    /** The body went past {@code readBytes}: the rest stays unread and the connection cannot be reused. */
    static final class UnreadRest extends RuntimeException {
        UnreadRest() {
            super(null, null, false, false);
        }
    }

    private final long keepBytes;
    private final long readBytes;
    private final List<DataBuffer> kept = new ArrayList<>();
    private long size;

    BoundedBody(long keepBytes, long readBytes) {
        this.keepBytes = keepBytes;
        this.readBytes = readBytes;
    }

    void add(DataBuffer buffer) {
        size += buffer.readableByteCount();
        if (size <= keepBytes) {
            kept.add(buffer);
        } else {
            DataBufferUtils.release(buffer);
            release();
        }
        if (size > readBytes) {
            throw new UnreadRest();
        }
    }

    /** Whether more than {@code keepBytes} came. */
    boolean tooLarge() {
        return size > keepBytes;
    }

    /** The kept body as one buffer, null when it was empty; the caller releases it. */
    DataBuffer joined() {
        if (kept.isEmpty()) {
            return null;
        }
        DataBuffer whole = kept.get(0).factory().join(kept);
        kept.clear();
        return whole;
    }

    /** Releases whatever is still kept: the body failed or is not wanted. */
    void release() {
        kept.forEach(DataBufferUtils::release);
        kept.clear();
    }
}
