package dev.mxshift.model.event;

/**
 * Who caused an event, for the audit trail: a person at the command line (the operating-system user), an API token
 * (its name), or a service acting for the hoster on an outside source it was configured with (Microsoft Graph: named
 * {@code graph}), and the channel it came through. Events a service decided from the workflow alone carry none. Never a
 * secret: a token's name, never the token.
 */
public record Actor(String name, Channel channel) {

    /** How the request reached mxshift. */
    public enum Channel {
        /** A command run by a person (or a script) with access to the event log: the hoster's side. */
        CLI,
        /** The operator's HTTP API, with a bearer token. */
        API,
        /**
         * A service that acted in place of a person, on a source the hoster configured (Microsoft Graph's target hosts,
         * decision 0034), so the history names it where it would otherwise name the operator who imported a CSV.
         */
        SERVICE
    }

    public Actor {
        Checks.text(name, "Actor", "name");
        Checks.required(channel, "Actor", "channel");
    }

    public static Actor cli(String user) {
        return new Actor(user, Channel.CLI);
    }

    public static Actor api(String tokenName) {
        return new Actor(tokenName, Channel.API);
    }

    /** A service acting in place of a person: {@code graph (SERVICE)}. */
    public static Actor service(String name) {
        return new Actor(name, Channel.SERVICE);
    }

    /** For people: {@code alice (CLI)}, {@code t-a-portal (API)}. */
    @Override
    public String toString() {
        return name + " (" + channel + ")";
    }
}
