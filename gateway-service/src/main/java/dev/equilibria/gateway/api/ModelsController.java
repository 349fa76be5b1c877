package dev.equilibria.gateway.api;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.routing.registry.ServedModel;
import dev.equilibria.routing.registry.WorkerRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** OpenAI's {@code GET /v1/models}: the models that live workers announce. */
@RestController
public class ModelsController {

    public static final String PATH = "/v1/models";

    private final WorkerRegistry registry;

    public ModelsController(WorkerRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(PATH)
    public ModelList models() {
        return ModelList.of(registry.models().stream().map(ModelsController::card).toList());
    }

    @GetMapping(PATH + "/{model}")
    public ModelList.Card model(@PathVariable String model) {
        return registry.model(model).map(ModelsController::card)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, ApiException.INVALID_REQUEST, "model",
                        ErrorCodes.MODEL_NOT_FOUND, "the model '" + model + "' does not exist or no live worker"
                        + " serves it"));
    }

    private static ModelList.Card card(ServedModel model) {
        return ModelList.Card.of(model.name(), model.since().getEpochSecond(), model.maxModelLen());
    }
}
