package dev.mxshift.operator.api;

/**
 * An answer of the API that is not 200: a stable code a program can act on, the HTTP status that goes with it, and a
 * message for people. The message never holds internals (hosts, files, exception texts of the infrastructure).
 */
public final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The stable codes of the API's error bodies. */
    public enum Code {
        BAD_REQUEST(400),
        UNAUTHENTICATED(401),
        FORBIDDEN_TENANT(403),
        NOT_FOUND(404),
        NO_SUCH_OPERATION(404),
        METHOD_NOT_ALLOWED(405),
        PAYLOAD_TOO_LARGE(413),
        RATE_LIMITED(429),
        UNAVAILABLE(503),
        TIMEOUT(503);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Code code;

    public ApiProblem(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    public static ApiProblem badRequest(String message) {
        return new ApiProblem(Code.BAD_REQUEST, message);
    }

    public static ApiProblem forbidden(String message) {
        return new ApiProblem(Code.FORBIDDEN_TENANT, message);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(Code.NOT_FOUND, message);
    }
}
