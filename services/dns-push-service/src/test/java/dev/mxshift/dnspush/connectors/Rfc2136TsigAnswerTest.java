package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 27: with a TSIG key configured, an answer without a valid TSIG is not trusted. A real BIND never sends one,
 * so the answers come from a tiny DNS-over-TCP responder on 127.0.0.1 that answers every query and UPDATE with
 * NOERROR (and an MX set for a query): unsigned, signed with another secret, or, as the control, with the right key.
 */
class Rfc2136TsigAnswerTest {

    private static final String KEY_NAME = "mxshift-test.";
    private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
    private static final String OTHER_SECRET = "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXItMTI=";
    private static final String ZONE = "contoso.com";

    private Responder responder;

    @AfterEach
    void stop() throws IOException {
        if (responder != null) {
            responder.close();
        }
    }

    private Rfc2136Connector connectorTo(Responder responder) {
        return new Rfc2136Connector("tsig-test", responder.address(), tsig(SECRET), Duration.ofSeconds(5));
    }

    private static TSIG tsig(String secret) {
        return new TSIG(TSIG.HMAC_SHA256, KEY_NAME, secret);
    }

    @Test
    void anUnsignedAnswerToAReadIsAnAuthenticationFailure() throws Exception {
        responder = new Responder(null);
        assertThatThrownBy(() -> connectorTo(responder).read(ZONE, ZONE, "MX"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION);
                    assertThat(e.getMessage()).contains("carries no TSIG").doesNotContain(SECRET);
                });
    }

    @Test
    void anUnsignedNoErrorToAnUpdateIsAnAuthenticationFailureNotASuccess() throws Exception {
        responder = new Responder(null);
        RrSet target = new RrSet(ZONE, "MX", 300, List.of("0 contoso-com.o-v1.mx.microsoft."));
        assertThatThrownBy(() -> connectorTo(responder).apply(new RrSetChange(ZONE, ZONE, "MX", null, target)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION));
    }

    @Test
    void anAnswerSignedWithAnotherSecretIsAnAuthenticationFailure() throws Exception {
        responder = new Responder(tsig(OTHER_SECRET));
        assertThatThrownBy(() -> connectorTo(responder).read(ZONE, ZONE, "MX"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION);
                    assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
                });
    }

    /** The control: the same responder, signing with the right key, is believed. */
    @Test
    void anAnswerSignedWithTheKeyIsRead() throws Exception {
        responder = new Responder(tsig(SECRET));
        Optional<RrSet> read = connectorTo(responder).read(ZONE, ZONE, "MX");
        assertThat(read).hasValueSatisfying(set -> assertThat(set.rdata()).containsExactly("10 mx.responder.example."));
    }

    /** Answers every message on its connections with NOERROR, signed with {@code signer} (null: unsigned). */
    private static final class Responder implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final TSIG signer;
        private final Thread acceptor;

        Responder(TSIG signer) throws IOException {
            this.signer = signer;
            acceptor = new Thread(this::accept, "tsig-test-responder");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        private void accept() {
            while (!listener.isClosed()) {
                try (Socket client = listener.accept()) {
                    DataInputStream in = new DataInputStream(client.getInputStream());
                    DataOutputStream out = new DataOutputStream(client.getOutputStream());
                    while (true) {
                        byte[] wire = new byte[in.readUnsignedShort()];
                        in.readFully(wire);
                        byte[] answer = answer(new Message(wire));
                        out.writeShort(answer.length);
                        out.write(answer);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the client closed its connection, or the responder is closed
                }
            }
        }

        private byte[] answer(Message query) throws IOException {
            Message reply = new Message(query.getHeader().getID());
            reply.getHeader().setFlag(Flags.QR);
            reply.getHeader().setFlag(Flags.AA);
            reply.getHeader().setOpcode(query.getHeader().getOpcode());
            Record question = query.getQuestion();
            reply.addRecord(question, Section.QUESTION);
            if (query.getHeader().getOpcode() == Opcode.QUERY && question.getType() == Type.MX) {
                reply.addRecord(new MXRecord(question.getName(), DClass.IN, 300, 10, Name.fromString("mx.responder.example.")), Section.ANSWER);
            }
            if (signer != null) {
                signer.apply(reply, query.getTSIG());
            }
            return reply.toWire();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
