package dev.equilibria.gateway.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** HTTP/1.1 by hand over one socket, for what an HTTP client library hides: keep-alive reuse, raw bytes, stalls. */
public final class RawHttp {

    private RawHttp() {
    }

    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    public static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A JSON POST with its Content-Length and any extra header lines (each ending in CRLF). */
    public static String jsonPost(String path, String json, String extraHeaders) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    /** Everything until the connection closes, the deadline passes, or a whole Content-Length body arrived. */
    public static String readResponse(Socket socket, Duration deadline) throws IOException {
        socket.setSoTimeout((int) deadline.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
                if (complete(received.toString(StandardCharsets.UTF_8))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // return what arrived
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    public static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static boolean complete(String response) {
        int headerEnd = response.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            return false;
        }
        for (String line : response.substring(0, headerEnd).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                int length = Integer.parseInt(line.substring(15).trim());
                return response.length() - headerEnd - 4 >= length;
            }
        }
        return false;
    }
}
