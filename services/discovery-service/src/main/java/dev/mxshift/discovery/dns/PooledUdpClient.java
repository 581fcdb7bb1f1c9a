package dev.mxshift.discovery.dns;

import org.xbill.DNS.Message;
import org.xbill.DNS.io.DefaultIoClientFactory;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * dnsjava's UDP transport, replaced through its own extension point ({@link IoClientFactory}): a few long-lived
 * sockets instead of dnsjava's default of a new socket per query, which is where a 100,000-domain discovery spent
 * its time (decision 0009). Each socket has a reader thread; a response completes the query waiting for exactly
 * its server and message id on that socket (anything else is dropped, RFC 5452 section 9.1); a sweeper fails
 * queries whose time is up. TCP (for truncated answers) stays dnsjava's own.
 */
final class PooledUdpClient implements UdpIoClient, IoClientFactory, AutoCloseable {

    private record Key(int socket, SocketAddress server, int id) {
    }

    private record Pending(CompletableFuture<byte[]> result, long deadline, int maxSize) {
    }

    private final List<DatagramChannel> sockets = new ArrayList<>();
    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final TcpIoClient tcp = new DefaultIoClientFactory().createOrGetTcpClient();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    PooledUdpClient(int socketCount, InetAddress bindAddress) {
        try {
            for (int i = 0; i < socketCount; i++) {
                DatagramChannel channel = DatagramChannel.open();
                channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
                channel.bind(new InetSocketAddress(bindAddress, 0));
                sockets.add(channel);
                int index = i;
                threads.add(start("dns-udp-" + i, () -> read(index, channel)));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open discovery's DNS sockets", e);
        }
        threads.add(start("dns-udp-timeouts", this::sweep));
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceiveUdp(InetSocketAddress local, InetSocketAddress remote, Message query,
                                                       byte[] data, int max, Duration timeout) {
        int id = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Pending waiting = new Pending(result, System.nanoTime() + timeout.toNanos(), max);
        int first = Math.floorMod(next.getAndIncrement(), sockets.size());
        for (int i = 0; i < sockets.size(); i++) {
            int socket = (first + i) % sockets.size();
            Key key = new Key(socket, remote, id);
            // A message id already waiting on this socket for this server would make two answers indistinguishable.
            if (pending.putIfAbsent(key, waiting) == null) {
                try {
                    sockets.get(socket).send(ByteBuffer.wrap(data), remote);
                } catch (IOException e) {
                    pending.remove(key, waiting);
                    result.completeExceptionally(e);
                }
                return result;
            }
        }
        result.completeExceptionally(new IOException("message id " + id + " is already in flight to " + remote + " on every socket"));
        return result;
    }

    private void read(int index, DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(65535);
        while (open) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                if (from == null || buffer.position() < 2) {
                    continue;
                }
                int id = ((buffer.get(0) & 0xFF) << 8) | (buffer.get(1) & 0xFF);
                Pending waiting = pending.remove(new Key(index, from, id));
                if (waiting != null) {
                    waiting.result().complete(Arrays.copyOf(buffer.array(), Math.min(buffer.position(), Math.max(waiting.maxSize(), 512))));
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // An ICMP error surfaced on an unconnected socket: the sweeper times the query out; keep reading.
            }
        }
    }

    private void sweep() {
        while (open) {
            long now = System.nanoTime();
            pending.forEach((key, waiting) -> {
                if (now - waiting.deadline() > 0 && pending.remove(key, waiting)) {
                    waiting.result().completeExceptionally(new SocketTimeoutException("no answer from " + key.server() + " in time"));
                }
            });
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public TcpIoClient createOrGetTcpClient() {
        return tcp;
    }

    @Override
    public UdpIoClient createOrGetUdpClient() {
        return this;
    }

    @Override
    public void close() {
        open = false;
        for (DatagramChannel socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        threads.forEach(Thread::interrupt);
        pending.values().forEach(p -> p.result().completeExceptionally(new IOException("the DNS client was closed")));
    }
}
