package dev.sluice.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 connection driven byte by byte, as a slow or hostile client would: write any part of a request,
 * stop, read what the server answered, see whether it closed the connection.
 */
public final class RawConnection implements AutoCloseable {

    private static final long QUIET_NANOS = Duration.ofSeconds(1).toNanos();

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public static RawConnection open(int port) {
        try {
            return new RawConnection(new Socket("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection whose socket receive buffer is this small, so that a client not reading soon stops the server. */
    public static RawConnection open(int port, int receiveBufferBytes) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(receiveBufferBytes);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and counts up to {@code atMost} bytes within {@code wait}; stops early when the connection ends or, once
     * bytes have come, a second passes without more.
     */
    public long drain(long atMost, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long total = 0;
        long lastRead = System.nanoTime();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (total < atMost && System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
                try {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, atMost - total));
                    if (n < 0) {
                        break;
                    }
                    total += n;
                    lastRead = System.nanoTime();
                } catch (SocketTimeoutException e) {
                    if (total > 0 && System.nanoTime() - lastRead > QUIET_NANOS) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // reset: what was read is all
        }
        return total;
    }

    /** Writes these bytes; false when the server has closed the connection already. */
    public boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean write(String text) {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The request line and headers of a POST of {@code length} declared bytes, ready for its body. */
    public static String postHead(String path, String contentType, long length, String... headers) {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + length + "\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /**
     * What the server sends within {@code wait}, up to the end of its first response (by its {@code Content-Length}; the
     * connection may stay open after it): status line, headers and body, as text.
     */
    public String readResponse(Duration wait) {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
                try {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    read.write(b);
                    String text = read.toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    if (end >= 0 && complete(text, end)) {
                        break;
                    }
                } catch (SocketTimeoutException e) {
                    // keep waiting until the deadline
                }
            }
        } catch (IOException e) {
            // reset by the server: what was read is the answer
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean complete(String text, int headersEnd) {
        String head = text.substring(0, headersEnd).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return true;
        }
        int lineEnd = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).strip());
        return text.length() - headersEnd - 4 >= length;
    }

    /** Whether the server has started to answer: bytes are waiting to be read. */
    public boolean answered() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether the server closes the connection within {@code wait}, skipping anything it sends meanwhile. */
    public boolean closedWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // still open
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }
}
