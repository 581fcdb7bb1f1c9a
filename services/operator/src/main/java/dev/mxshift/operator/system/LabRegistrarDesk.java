package dev.mxshift.operator.system;

import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.MigrationState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;


/**
 * The lab only: what a registrar's desk does once a person submitted a DS by hand (the DNSSEC stage's manual path).
 * The lab's registries are its TLD zones on PowerDNS, so the desk puts exactly the DS the domain waits for into its
 * parent zone there (or removes it), as the demo confirms Microsoft's step itself in a lab that already publishes the
 * TLSA. mxshift then checks the parent as it would any person's work. Never used outside the lab.
 */
public final class LabRegistrarDesk {

    private static final int DS_TTL = 2;

    private final String api;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

    public LabRegistrarDesk(Path endpointsFile) {
        JsonNode lab = JsonMapper.builder().build().readTree(endpointsFile.toFile());
        // The registries' database (the root and the TLDs), not the hosters' PowerDNS.
        this.api = lab.path("registryApi").path("url").asString();
        this.apiKey = lab.path("registryApi").path("apiKey").asString();
        if (api.isEmpty()) {
            throw new IllegalArgumentException(endpointsFile + " names no PowerDNS API: is it a lab's endpoints.json?");
        }
    }

    /** Publishes (for a PublishDs step) or removes (WithdrawDs) the domain's DS at its parent; false when it waits for neither. */
    public boolean act(MigrationState state) throws IOException, InterruptedException {
        if (state.activeSteps().isEmpty() || state.stepIndex() >= state.activeSteps().size()) {
            return false;
        }
        PlanStep step = state.activeSteps().get(state.stepIndex());
        String rrset;
        String parent;
        if (step instanceof PlanStep.PublishDs publish && state.dnssecOrNone().keys() != null) {
            parent = publish.parent().value();
            StringBuilder records = new StringBuilder();
            for (String ds : state.dnssecOrNone().keys().ds()) {
                records.append(records.isEmpty() ? "" : ",").append("{\"content\":\"").append(ds).append("\",\"disabled\":false}");
            }
            rrset = "{\"name\":\"" + publish.zone().value() + ".\",\"type\":\"DS\",\"ttl\":" + DS_TTL + ",\"changetype\":\"REPLACE\",\"records\":["
                    + records + "]}";
        } else if (step instanceof PlanStep.WithdrawDs withdraw) {
            parent = withdraw.parent().value();
            rrset = "{\"name\":\"" + withdraw.zone().value() + ".\",\"type\":\"DS\",\"changetype\":\"DELETE\"}";
        } else {
            return false;
        }
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "/servers/localhost/zones/" + parent + "."))
                .header("X-API-Key", apiKey).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"rrsets\":[" + rrset + "]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("the lab's registry (its PowerDNS) refused the DS of " + state.domain() + " in " + parent + ": HTTP "
                    + answer.statusCode() + " " + answer.body());
        }
        return true;
    }

}
