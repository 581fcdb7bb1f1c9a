package dev.mxshift.dnspush.parent;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The EPP documents mxshift sends and the parts of the answers it reads: RFC 5730 (the envelope, greeting, login,
 * logout, results), RFC 5731 ({@code domain:info}, {@code domain:update}) and RFC 5910 (secDNS-1.1: {@code infData},
 * {@code update} with {@code rem}/{@code add}). Requests are written as text with every value escaped; answers are parsed
 * namespace-aware with DTDs and external entities refused, so a registry's answer can never make mxshift read a file.
 */
public final class EppXml {

    public static final String EPP = "urn:ietf:params:xml:ns:epp-1.0";
    public static final String DOMAIN = "urn:ietf:params:xml:ns:domain-1.0";
    public static final String SEC_DNS = "urn:ietf:params:xml:ns:secDNS-1.1";

    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<epp xmlns=\"" + EPP + "\">";

    private EppXml() {
    }

    /** One DS as RFC 5910 section 4.1 carries it ({@code secDNS:dsData}); the digest in upper-case hex. */
    public record DsData(int keyTag, int alg, int digestType, String digest) {
        public DsData {
            digest = digest.toUpperCase(Locale.ROOT);
        }

        /** From presentation rdata, {@code "12345 13 2 ABCD..."}. */
        public static DsData parse(String rdata) {
            String what = "DS rdata (key tag, algorithm, digest type, hex digest)";
            String[] f = fields(rdata, what);
            try {
                HexFormat.of().parseHex(f[3]);
                return new DsData(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + rdata + "' is not " + what, e);
            }
        }

        public String rdata() {
            return keyTag + " " + alg + " " + digestType + " " + digest;
        }

        String xml() {
            return "<secDNS:dsData><secDNS:keyTag>" + keyTag + "</secDNS:keyTag><secDNS:alg>" + alg + "</secDNS:alg><secDNS:digestType>"
                    + digestType + "</secDNS:digestType><secDNS:digest>" + digest + "</secDNS:digest></secDNS:dsData>";
        }
    }

    /** One DNSKEY as RFC 5910 section 4.2 carries it ({@code secDNS:keyData}), for registries that take keys. */
    public record KeyData(int flags, int protocol, int alg, String pubKey) {
        /** From presentation rdata, {@code "257 3 13 base64..."}. */
        public static KeyData parse(String rdata) {
            String what = "DNSKEY rdata (flags, protocol, algorithm, base64 key)";
            String[] f = fields(rdata, what);
            try {
                Base64.getDecoder().decode(f[3]);
                return new KeyData(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + rdata + "' is not " + what, e);
            }
        }

        String xml() {
            return "<secDNS:keyData><secDNS:flags>" + flags + "</secDNS:flags><secDNS:protocol>" + protocol + "</secDNS:protocol><secDNS:alg>"
                    + alg + "</secDNS:alg><secDNS:pubKey>" + pubKey + "</secDNS:pubKey></secDNS:keyData>";
        }
    }

    /** Three numbers and the data (its spaces removed), as DS and DNSKEY presentation rdata both are. */
    private static String[] fields(String rdata, String what) {
        String[] f = rdata.strip().split("\\s+", 4);
        if (f.length != 4) {
            throw new IllegalArgumentException("'" + rdata + "' is not " + what);
        }
        f[3] = f[3].replaceAll("\\s+", "");
        return f;
    }

    /** What {@code domain:info} said about the domain's DNSSEC data ({@code secDNS:infData}; both lists empty when absent). */
    public record SecDnsInfo(List<DsData> ds, List<KeyData> keys) {
        public SecDnsInfo {
            ds = List.copyOf(ds);
            keys = List.copyOf(keys);
        }
    }

    /** One answer: the first result's code and message ({@code msg}, plus any {@code extValue/reason}), the transaction ids. */
    public record Response(int code, String message, String clTRID, String svTRID, Document document) {
        public boolean success() {
            return code >= 1000 && code < 2000;
        }
    }

    // --- requests ---

    public static String login(String clientId, String password, String clTRID) {
        return HEAD + "<command><login><clID>" + escape(clientId) + "</clID><pw>" + escape(password) + "</pw>"
                + "<options><version>1.0</version><lang>en</lang></options>"
                + "<svcs><objURI>" + DOMAIN + "</objURI><svcExtension><extURI>" + SEC_DNS + "</extURI></svcExtension></svcs>"
                + "</login><clTRID>" + escape(clTRID) + "</clTRID></command></epp>";
    }

    public static String logout(String clTRID) {
        return HEAD + "<command><logout/><clTRID>" + escape(clTRID) + "</clTRID></command></epp>";
    }

    public static String info(String domain, String clTRID) {
        return HEAD + "<command><info><domain:info xmlns:domain=\"" + DOMAIN + "\"><domain:name hosts=\"none\">" + escape(domain)
                + "</domain:name></domain:info></info><clTRID>" + escape(clTRID) + "</clTRID></command></epp>";
    }

    /**
     * A {@code domain:update} that only carries the secDNS extension (RFC 5731 section 3.2.5 allows an update with no
     * {@code add}, {@code rem} or {@code chg} of its own when an extension is present). {@code removeAll} sends
     * {@code <secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>}; otherwise {@code rem} lists what goes. The server
     * removes before it adds (RFC 5910 section 5.2.5).
     */
    public static String update(String domain, boolean removeAll, List<DsData> removeDs, List<KeyData> removeKeys,
                                List<DsData> addDs, List<KeyData> addKeys, String clTRID) {
        StringBuilder ext = new StringBuilder("<secDNS:update xmlns:secDNS=\"" + SEC_DNS + "\">");
        if (removeAll) {
            ext.append("<secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>");
        } else if (!removeDs.isEmpty() || !removeKeys.isEmpty()) {
            ext.append("<secDNS:rem>");
            removeDs.forEach(d -> ext.append(d.xml()));
            removeKeys.forEach(k -> ext.append(k.xml()));
            ext.append("</secDNS:rem>");
        }
        if (!addDs.isEmpty() || !addKeys.isEmpty()) {
            ext.append("<secDNS:add>");
            addDs.forEach(d -> ext.append(d.xml()));
            addKeys.forEach(k -> ext.append(k.xml()));
            ext.append("</secDNS:add>");
        }
        ext.append("</secDNS:update>");
        return HEAD + "<command><update><domain:update xmlns:domain=\"" + DOMAIN + "\"><domain:name>" + escape(domain)
                + "</domain:name></domain:update></update><extension>" + ext + "</extension><clTRID>" + escape(clTRID)
                + "</clTRID></command></epp>";
    }

    // --- answers ---

    /** Parses one EPP document strictly: well-formed, namespace-aware, no DTD, no external entity; root {@code epp:epp}. */
    public static Document parse(byte[] document) throws EppSyntaxException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document doc = builder.parse(new ByteArrayInputStream(document));
            Element root = doc.getDocumentElement();
            if (!EPP.equals(root.getNamespaceURI()) || !"epp".equals(root.getLocalName())) {
                throw new EppSyntaxException("the document is not an EPP one (its root is {" + root.getNamespaceURI() + "}"
                        + root.getLocalName() + ", not {" + EPP + "}epp)");
            }
            return doc;
        } catch (SAXException e) {
            throw new EppSyntaxException("the answer is not well-formed XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new EppSyntaxException("the answer cannot be read as XML: " + e.getMessage());
        }
    }

    /** The greeting's offer: the object and extension URIs of its {@code svcMenu}; throws if the document is no greeting. */
    public static List<String> greetingServices(Document doc) throws EppSyntaxException {
        Element greeting = child(doc.getDocumentElement(), EPP, "greeting")
                .orElseThrow(() -> new EppSyntaxException("the server's first message is not a <greeting>"));
        Element menu = child(greeting, EPP, "svcMenu").orElseThrow(() -> new EppSyntaxException("the greeting has no <svcMenu>"));
        List<String> services = new ArrayList<>();
        for (Element e : children(menu, EPP, "objURI")) {
            services.add(e.getTextContent().strip());
        }
        child(menu, EPP, "svcExtension").ifPresent(ext -> children(ext, EPP, "extURI").forEach(e -> services.add(e.getTextContent().strip())));
        return services;
    }

    public static Response response(Document doc) throws EppSyntaxException {
        Element response = child(doc.getDocumentElement(), EPP, "response")
                .orElseThrow(() -> new EppSyntaxException("the answer is not an EPP <response>"));
        Element result = child(response, EPP, "result").orElseThrow(() -> new EppSyntaxException("the response has no <result>"));
        int code;
        try {
            code = Integer.parseInt(result.getAttribute("code").strip());
        } catch (NumberFormatException e) {
            throw new EppSyntaxException("the result code '" + result.getAttribute("code") + "' is not a number");
        }
        StringBuilder message = new StringBuilder(child(result, EPP, "msg").map(m -> m.getTextContent().strip()).orElse(""));
        for (Element ext : children(result, EPP, "extValue")) {
            child(ext, EPP, "reason").ifPresent(r -> message.append(message.isEmpty() ? "" : ": ").append(r.getTextContent().strip()));
        }
        Optional<Element> trId = child(response, EPP, "trID");
        String clTRID = trId.flatMap(t -> child(t, EPP, "clTRID")).map(e -> e.getTextContent().strip()).orElse(null);
        String svTRID = trId.flatMap(t -> child(t, EPP, "svTRID")).map(e -> e.getTextContent().strip()).orElse(null);
        return new Response(code, message.toString(), clTRID, svTRID, doc);
    }

    /** The secDNS data of a {@code domain:info} answer (RFC 5910 section 5.1.2); none when the answer has no infData. */
    public static SecDnsInfo secDnsInfo(Document doc) throws EppSyntaxException {
        List<DsData> ds = new ArrayList<>();
        List<KeyData> keys = new ArrayList<>();
        Element response = child(doc.getDocumentElement(), EPP, "response").orElseThrow(() -> new EppSyntaxException("no <response>"));
        Optional<Element> infData = child(response, EPP, "extension").flatMap(e -> child(e, SEC_DNS, "infData"));
        if (infData.isEmpty()) {
            return new SecDnsInfo(ds, keys);
        }
        for (Element d : children(infData.get(), SEC_DNS, "dsData")) {
            ds.add(new DsData(number(d, "keyTag"), number(d, "alg"), number(d, "digestType"), text(d, "digest")));
        }
        for (Element k : children(infData.get(), SEC_DNS, "keyData")) {
            keys.add(new KeyData(number(k, "flags"), number(k, "protocol"), number(k, "alg"), text(k, "pubKey").replaceAll("\\s+", "")));
        }
        return new SecDnsInfo(ds, keys);
    }

    private static int number(Element parent, String name) throws EppSyntaxException {
        String value = text(parent, name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new EppSyntaxException("secDNS:" + name + " '" + value + "' is not a number");
        }
    }

    private static String text(Element parent, String name) throws EppSyntaxException {
        return child(parent, SEC_DNS, name).map(e -> e.getTextContent().strip())
                .orElseThrow(() -> new EppSyntaxException("secDNS:" + parent.getLocalName() + " has no secDNS:" + name));
    }

    static Optional<Element> child(Element parent, String namespace, String name) {
        List<Element> found = children(parent, namespace, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    static List<Element> children(Element parent, String namespace, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An answer that is not the EPP the RFCs describe. */
    public static final class EppSyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        public EppSyntaxException(String message) {
            super(message);
        }
    }
}
