package dev.mxshift.dnspush.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS-over-TCP proxy in front of a real server (the lab's BIND) that forwards every message as it is, TSIG and
 * all, and can lose the answer of the first UPDATE (RFC 2136, opcode 5) it forwards: the update reaches the server
 * and is applied, then {@code afterLostAnswer} runs (a third party's edit, before any retry) and the client's
 * connection is closed without an answer, a connection reset after sending. It counts the UPDATEs that reached the
 * server. 127.0.0.1 only; each message is forwarded on a connection of its own.
 */
final class FaultInjectingDnsProxy implements AutoCloseable {

    private static final int OPCODE_UPDATE = 5;

    private final InetSocketAddress server;
    private final ServerSocket listener;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dns-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger updatesForwarded = new AtomicInteger();
    private volatile boolean loseFirstUpdateAnswer;
    volatile Runnable afterLostAnswer = () -> {
    };

    FaultInjectingDnsProxy(InetSocketAddress server) throws IOException {
        this.server = server;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::accept);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** From now on the first UPDATE forwarded loses its answer; UPDATEs are counted anew. */
    void loseFirstUpdateAnswer() {
        updatesForwarded.set(0);
        loseFirstUpdateAnswer = true;
    }

    /** UPDATE messages that reached the server since {@link #loseFirstUpdateAnswer}. */
    int updatesForwarded() {
        return updatesForwarded.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                pool.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One client connection: length-prefixed messages (RFC 1035 section 4.2.2), answered in order. */
    private void serve(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (true) {
                byte[] message = new byte[in.readUnsignedShort()];
                in.readFully(message);
                boolean update = message.length > 2 && ((message[2] >> 3) & 0x0F) == OPCODE_UPDATE;
                byte[] answer = forward(message);
                if (update && updatesForwarded.incrementAndGet() == 1 && loseFirstUpdateAnswer) {
                    afterLostAnswer.run();
                    return;
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away, or its connection was dropped on purpose
        }
    }

    private byte[] forward(byte[] message) throws IOException {
        try (Socket upstream = new Socket()) {
            upstream.connect(server, 5000);
            upstream.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(upstream.getOutputStream());
            out.writeShort(message.length);
            out.write(message);
            out.flush();
            DataInputStream in = new DataInputStream(upstream.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return answer;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        pool.shutdownNow();
    }
}
