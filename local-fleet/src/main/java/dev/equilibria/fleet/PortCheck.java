package dev.equilibria.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Checks that the ports a fleet needs are free before anything starts, and free again after it stops. */
public final class PortCheck {

    private static final int CONNECT_TIMEOUT_MS = 200;

    private PortCheck() {
    }

    /**
     * Fails with a message naming the port and who needs it when something already listens there.
     *
     * @param owner who needs the port, for example {@code gateway-service}
     */
    public static void requireFree(int port, String owner) {
        if (!isFree(port)) {
            throw new FleetException(takenMessage(port, owner));
        }
    }

    static String takenMessage(int port, String owner) {
        return "port " + port + " is already in use, and " + owner + " needs it. "
                + "Stop whatever listens there (`ss -ltnp 'sport = :" + port + "'` shows it; `./fleet down` stops a fleet "
                + "started earlier) or start this one with --port-offset N.";
    }

    /** True when nothing listens on the port, on the wildcard address or on loopback. */
    public static boolean isFree(int port) {
        return canBind(null, port) && canBind(InetAddress.getLoopbackAddress(), port) && !accepts(port);
    }

    private static boolean canBind(InetAddress address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // reuse lets a port whose last connections sit in TIME_WAIT count as free, as it is for the services
            socket.setReuseAddress(true);
            socket.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until every port is free.
     *
     * @return the ports still in use when the time ran out; empty when all are free
     */
    public static List<Integer> awaitFree(Collection<Integer> ports, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Integer> taken = new ArrayList<>();
            for (int port : ports) {
                if (!isFree(port)) {
                    taken.add(port);
                }
            }
            if (taken.isEmpty() || System.nanoTime() > deadline) {
                return taken;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return taken;
            }
        }
    }
}
