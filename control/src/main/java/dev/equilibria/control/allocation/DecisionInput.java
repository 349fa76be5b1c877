package dev.equilibria.control.allocation;

import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.event.WorkerLoad;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one allocation decision looks at.
 *
 * @param now     decision time, from the caller's clock
 * @param current the split now in force (live workers per role)
 * @param game    the game at the forecast workload, used to evaluate any split
 * @param result  the solved game
 * @param loads   latest load report of each live worker; may be empty (the forecast-based checks still run)
 */
public record DecisionInput(Instant now, Split current, PoolGame game, GameResult result, List<WorkerLoad> loads) {

    public DecisionInput {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(game, "game");
        Objects.requireNonNull(result, "result");
        loads = List.copyOf(loads);
    }

    public DecisionInput(Instant now, Split current, PoolGame game, GameResult result) {
        this(now, current, game, result, List.of());
    }
}
