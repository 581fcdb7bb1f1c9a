package dev.mxshift.model.event;

/**
 * Who caused an event, for the audit trail: a person at the command line (the operating-system user) or an API token
 * (its name), and the channel it came through. Events a service caused on its own carry none. Never a secret: a
 * token's name, never the token.
 */
public record Actor(String name, Channel channel) {

    /** How the request reached mxshift. */
    public enum Channel {
        /** A command run by a person (or a script) with access to the event log: the hoster's side. */
        CLI,
        /** The operator's HTTP API, with a bearer token. */
        API
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

    /** For people: {@code alice (CLI)}, {@code t-a-portal (API)}. */
    @Override
    public String toString() {
        return name + " (" + channel + ")";
    }
}
