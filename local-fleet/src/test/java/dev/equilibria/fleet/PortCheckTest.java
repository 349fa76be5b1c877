package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void aPortSomeoneListensOnIsTakenWithAMessageNamingPortAndOwner() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThat(PortCheck.isFree(port)).isFalse();
            assertThatThrownBy(() -> PortCheck.requireFree(port, "gateway-service"))
                    .isInstanceOf(FleetException.class)
                    .hasMessageContaining("port " + port + " is already in use")
                    .hasMessageContaining("gateway-service")
                    .hasMessageContaining("--port-offset");
        }
    }

    @Test
    void aPortTakenOnTheWildcardAddressIsTakenToo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            assertThat(PortCheck.isFree(taken.getLocalPort())).isFalse();
        }
    }

    @Test
    void aReleasedPortIsFree() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThat(PortCheck.isFree(port)).isTrue();
        assertThatCode(() -> PortCheck.requireFree(port, "kafka")).doesNotThrowAnyException();
        assertThat(PortCheck.awaitFree(List.of(port), Duration.ofMillis(100))).isEmpty();
    }

    @Test
    void awaitFreeReportsThePortsStillTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(PortCheck.awaitFree(List.of(taken.getLocalPort()), Duration.ofMillis(300)))
                    .containsExactly(taken.getLocalPort());
        }
    }
}
