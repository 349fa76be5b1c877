package dev.equilibria.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import dev.equilibria.protocol.worker.WorkerPaths;
import dev.equilibria.worker.host.WorkerHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * {@code refuse_when_full} over a real socket: a worker with one batch slot, taken by a long decode stream, refuses
 * legs that ask to be refused (429 problem, at once, for both legs) and queues the ones that do not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.worker.role=aggregated",
        "equilibria.worker.count=1",
        "equilibria.worker.time-scale=1",
        "equilibria.worker.engine.max-num-seqs=1"})
@EmbeddedKafka(partitions = 1)
class WorkerFullRefusalTests {

    @SpringBootApplication
    static class TestApp {
    }

    @LocalServerPort
    int port;

    @Autowired
    WorkerHost host;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFullWorkerRefusesLegsThatAskToBeRefusedAndQueuesTheOthers() throws Exception {
        int[] prompt = IntStream.range(0, 64).toArray();
        CompletableFuture<HttpResponse<Stream<String>>> holder = http.sendAsync(request(WorkerPaths.decode(
                "aggregated-0"), new DecodeRequest("holder", prompt, new int[0], 100_000, new int[0], null)),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = holder.get(20, TimeUnit.SECONDS).body().iterator();
        assertThat(lines.next()).startsWith("data:"); // the only slot is taken

        HttpResponse<String> prefill = http.send(request(WorkerPaths.prefill("aggregated-0"),
                new PrefillRequest("p", prompt, 4, true)), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> decode = http.send(request(WorkerPaths.decode("aggregated-0"),
                new DecodeRequest("d", prompt, new int[0], 4, new int[0], null, true)),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> refused : java.util.List.of(prefill, decode)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(WorkerPaths.FULL_STATUS);
            assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(refused.body()).contains("no free batch slot").doesNotContain("at dev.equilibria");
        }
        assertThat(host.find("aggregated-0").orElseThrow().<Integer>read(e -> e.waitingCount()))
                .as("nothing of a refused leg stays behind").isZero();

        CompletableFuture<HttpResponse<String>> queued = http.sendAsync(request(WorkerPaths.prefill("aggregated-0"),
                new PrefillRequest("q", prompt, 4)), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(queued).as("a leg that did not ask to be refused waits for the slot").isNotDone();

        holder.cancel(true);
        holder.join().body().close();
        HttpResponse<String> served = queued.get(20, TimeUnit.SECONDS);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(EventCodec.decode(served.body(), PrefillResult.class).workerId()).isEqualTo("aggregated-0");
    }

    private HttpRequest request(String path, Object body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encode(body))).build();
    }
}
