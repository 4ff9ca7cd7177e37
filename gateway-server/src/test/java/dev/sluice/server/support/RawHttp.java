package dev.sluice.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes to a server as they are, for requests no HTTP client would send (malformed escapes, odd methods,
 * broken bodies), and reads back one answer, or notes that none came.
 */
public final class RawHttp {

    private static final int TIMEOUT_MILLIS = 5_000;

    private RawHttp() {
    }

    /**
     * An answer; {@code status} is -1 when the server closed the connection (or stayed silent) without one.
     *
     * @param headers lower-case names
     */
    public record Answer(int status, Map<String, String> headers, String body) {
        public boolean answered() {
            return status > 0;
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** A request with the given request line, headers (each {@code Name: value}) and body; {@code Host} and {@code Connection: close} added. */
    public static Answer request(int port, String requestLine, byte[] body, String... headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return exchange(port, out.toByteArray(), false);
    }

    /** A JSON request with its length declared. */
    public static Answer json(int port, String method, String target, byte[] body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type: application/json";
        all[1] = "Content-Length: " + body.length;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return request(port, method + " " + target + " HTTP/1.1", body, all);
    }

    /**
     * Sends the bytes and reads one answer.
     *
     * @param halfClose whether to close the sending side after the bytes, so that the server sees the request end there
     */
    public static Answer exchange(int port, byte[] bytes, boolean halfClose) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may answer and close before it has read everything: read what it said.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.write(buffer, 0, n);
                Answer answer = parse(received.toByteArray(), false);
                if (answer != null) {
                    return answer;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // Silence or a reset: whatever arrived so far is the answer.
        }
        Answer answer = parse(received.toByteArray(), true);
        return answer != null ? answer : new Answer(-1, Map.of(), "");
    }

    /** The answer once complete; at the end of input, whatever head and body arrived. */
    private static Answer parse(byte[] bytes, boolean ended) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return null;
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2) {
            return null;
        }
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        String length = headers.get("content-length");
        if (length != null) {
            int expected = Integer.parseInt(length);
            if (rest.length < expected && !ended) {
                return null;
            }
            return new Answer(status, headers, new String(rest, 0, Math.min(expected, rest.length), StandardCharsets.UTF_8));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            String body = new String(rest, StandardCharsets.UTF_8);
            if (!body.endsWith("0\r\n\r\n") && !ended) {
                return null;
            }
            return new Answer(status, headers, body);
        }
        if (status == 204 || status == 304 || status < 200 || ended) {
            return new Answer(status, headers, new String(rest, StandardCharsets.UTF_8));
        }
        return null;
    }
}
