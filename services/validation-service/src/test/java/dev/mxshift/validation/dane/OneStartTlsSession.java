package dev.mxshift.validation.dane;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A small STARTTLS server for the probe's tests where the lab's Postfix cannot play the part: one SMTP session
 * (greeting, EHLO offering STARTTLS, the handshake with the given parameters); returns the client's first command
 * after the handshake.
 */
final class OneStartTlsSession {

    private OneStartTlsSession() {
    }

    static String serve(ServerSocket listener, SSLContext tls, Consumer<SSLParameters> tuning) throws Exception {
        try (Socket plain = listener.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            out.write("220 test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            in.readLine();
            out.write("250-test\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            in.readLine();
            out.write("220 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(),
                    plain.getPort(), true)) {
                secured.setUseClientMode(false);
                SSLParameters parameters = secured.getSSLParameters();
                tuning.accept(parameters);
                secured.setSSLParameters(parameters);
                secured.startHandshake();
                return new BufferedReader(new InputStreamReader(secured.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            }
        }
    }
}
