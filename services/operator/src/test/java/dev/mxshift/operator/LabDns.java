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
        return answer(lab, domain.value(), Type.MX);
    }

    /**
     * The answer of the server that holds {@code name}'s zone (PowerDNS unless a BIND zone), over TCP; a DS question is
     * answered by the parent, the registries' server that holds the lab's TLD zones.
     */
    static Message answer(LabRun lab, String name, int type) throws Exception {
        JsonNode server = lab.endpoints().path("authoritative").get(0);
        for (JsonNode s : lab.endpoints().path("authoritative")) {
            if (type == Type.DS && s.path("name").asString().equals("registry")) {
                server = s;
            }
            for (JsonNode z : s.path("zones")) {
                if (z.asString().equals(name) && type != Type.DS) {
                    server = s;
                }
            }
        }
        SimpleResolver resolver = new SimpleResolver(server.path("address").asString());
        resolver.setPort(server.path("port").asInt());
        resolver.setTCP(true);
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    /** The records of that type in the answer. */
    static List<Record> query(LabRun lab, String name, int type) throws Exception {
        return answer(lab, name, type).getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
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
