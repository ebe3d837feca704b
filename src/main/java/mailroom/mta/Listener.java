package mailroom.mta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mailroom.server.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP listener of the MTA door: a plain server socket and one virtual thread per connection, because
 * Postfix keeps a connection per process open for up to 100 s (policy: 300 s idle) and most of them wait.
 * Each connection runs its protocol's conversation, so requests on it are answered in order.
 */
public final class Listener implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    /**
     * Longer than Postfix's own idle limits (socketmap 100 s, policy 300 s), so only a client that went
     * away without closing is cut; otherwise such sockets would pile up for ever.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    /** A protocol's side of one connection: reads requests and writes answers until the client is done. */
    @FunctionalInterface
    public interface Conversation {
        void run(InputStream in, OutputStream out) throws IOException;
    }

    private final String name;
    private final HostPort address;
    private final ClientNetworks clients;
    private final MtaMetrics metrics;
    private final Conversation conversation;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean stopping;
    private Thread acceptor;

    public Listener(String name, HostPort address, ClientNetworks clients, MtaMetrics metrics, Conversation conversation) {
        this.name = name;
        this.address = address;
        this.clients = clients;
        this.metrics = metrics;
        this.conversation = conversation;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address.host(), address.port()), 512);
            server = socket;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for " + name + " on " + address + ": " + e.getMessage(), e);
        }
        metrics.connections(name, open::size);
        acceptor = Thread.ofPlatform().daemon().name("mta-" + name + "-accept").start(this::acceptLoop);
        LOG.info("Mailroom {} listening on {}:{} for clients in {}", name, address.host(), port(), clients);
    }

    /** The port actually bound (the configured one, or the one chosen for port 0). */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        ServerSocket socket = server;
        while (!stopping) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (stopping || socket.isClosed()) return;
                LOG.warn("{} listener could not accept a connection: {}", name, e.toString());
                continue;
            }
            if (!clients.allows(client.getInetAddress())) {
                metrics.refusedClient(name);
                LOG.warn("{} refused a client from {}: outside {}", name, client.getInetAddress().getHostAddress(), clients);
                closeQuietly(client);
                continue;
            }
            open.add(client);
            if (stopping) {
                open.remove(client);
                closeQuietly(client);
                return;
            }
            Thread.ofVirtual().name("mta-" + name).start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            client.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
            conversation.run(client.getInputStream(), client.getOutputStream());
        } catch (SocketTimeoutException e) {
            LOG.debug("{} closed a connection idle for {}", name, IDLE_TIMEOUT);
        } catch (IOException e) {
            // The client went away mid-conversation (or stop() closed it): nothing to answer.
            LOG.debug("{} connection ended: {}", name, e.toString());
        } catch (RuntimeException e) {
            LOG.error("{} connection failed unexpectedly", name, e);
        } finally {
            open.remove(client);
        }
    }

    @Override
    public void stop() {
        stopping = true;
        ServerSocket socket = server;
        if (socket != null) closeQuietly(socket);
        for (Socket s : open) closeQuietly(s);
        open.clear();
        if (acceptor != null) {
            try {
                acceptor.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
