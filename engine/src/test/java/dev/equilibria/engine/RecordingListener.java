package dev.equilibria.engine;

import dev.equilibria.engine.scheduler.FinishReason;
import dev.equilibria.engine.scheduler.Sequence;
import dev.equilibria.engine.scheduler.SequenceListener;
import java.util.ArrayList;
import java.util.List;

/** Records every token and the finish reason of one sequence. */
class RecordingListener implements SequenceListener {

    final List<Integer> indexes = new ArrayList<>();
    final List<Integer> tokens = new ArrayList<>();
    FinishReason finish;
    String aborted;
    boolean kvReceived;

    @Override
    public void onKvReceived(Sequence sequence) {
        kvReceived = true;
    }

    @Override
    public void onToken(Sequence sequence, int index, int tokenId, FinishReason finish) {
        if (this.finish != null) {
            throw new AssertionError("token after finish");
        }
        indexes.add(index);
        tokens.add(tokenId);
        this.finish = finish;
    }

    @Override
    public void onAborted(Sequence sequence, String reason) {
        aborted = reason;
    }
}
