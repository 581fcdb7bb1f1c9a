package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What a lab domain's authoritative server (PowerDNS, or BIND for its zones) serves now, asked directly. */
final class LabDns {

    private LabDns() {
    }

    static Message mxAnswer(LabRun lab, DomainName domain) throws Exception {
        JsonNode server = lab.endpoints().path("authoritative").get(0);
        for (JsonNode s : lab.endpoints().path("authoritative")) {
            for (JsonNode z : s.path("zones")) {
                if (z.asString().equals(domain.value())) {
                    server = s;
                }
            }
        }
        SimpleResolver resolver = new SimpleResolver(server.path("address").asString());
        resolver.setPort(server.path("port").asInt());
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(domain.value() + "."), Type.MX, DClass.IN)));
    }

    /** The MX rdata, sorted. */
    static List<String> mx(LabRun lab, DomainName domain) throws Exception {
        TreeSet<String> rdata = new TreeSet<>();
        for (Record r : mxAnswer(lab, domain).getSection(Section.ANSWER)) {
            if (r.getType() == Type.MX) {
                rdata.add(r.rdataToString());
            }
        }
        return new ArrayList<>(rdata);
    }

    static long mxTtl(LabRun lab, DomainName domain) throws Exception {
        return mxAnswer(lab, domain).getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.MX).findFirst().orElseThrow().getTTL();
    }
}
