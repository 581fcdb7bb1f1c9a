package dev.mxshift.operator.api;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every error body of the API: {@code {"status", "code", "error"}}, a stable code and a message for people. What the
 * infrastructure said (a broker's address, a file's path) goes to the server's log, never to the caller.
 */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static Map<String, Object> body(ApiProblem.Code code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", code.status());
        body.put("code", code.name());
        body.put("error", message);
        return body;
    }

    /** For filters that answer before Spring MVC does (authentication, limits). */
    public static void write(HttpServletResponse response, ApiProblem.Code code, String message) throws IOException {
        response.setStatus(code.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsString(body(code, message)).getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseEntity<String> answer(ApiProblem.Code code, String message) {
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsString(body(code, message)));
    }

    /** The caller went away mid-answer (a console page closed its live stream): there is nobody to answer, and nothing failed. */
    @ExceptionHandler(org.springframework.web.context.request.async.AsyncRequestNotUsableException.class)
    public void callerGone(org.springframework.web.context.request.async.AsyncRequestNotUsableException e) {
        LOG.debug("api: the caller went away: {}", e.getMessage());
    }

    @ExceptionHandler(ApiProblem.class)
    public ResponseEntity<String> problem(ApiProblem p) {
        return answer(p.code(), p.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<String> badRequest(IllegalArgumentException e) {
        // the model's and the readers' messages say what in the request was wrong; they are written for people
        return answer(ApiProblem.Code.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    public ResponseEntity<String> badParameter(Exception e) {
        return answer(ApiProblem.Code.BAD_REQUEST, "a parameter is missing or malformed; see /api/v1/openapi.yaml");
    }

    @ExceptionHandler({NoResourceFoundException.class, org.springframework.web.servlet.NoHandlerFoundException.class})
    public ResponseEntity<String> noOperation(Exception e) {
        return answer(ApiProblem.Code.NO_SUCH_OPERATION, "no such operation; see /api/v1/openapi.yaml");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
        ResponseEntity<String> answer = answer(ApiProblem.Code.METHOD_NOT_ALLOWED, "this path does not take " + e.getMethod()
                + "; see /api/v1/openapi.yaml");
        return e.getSupportedHttpMethods() == null ? answer
                : ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).allow(e.getSupportedHttpMethods().toArray(new org.springframework.http.HttpMethod[0]))
                .body(answer.getBody());
    }

    @ExceptionHandler(AsyncRequestTimeoutException.class)
    public ResponseEntity<String> timeout(AsyncRequestTimeoutException e) {
        return answer(ApiProblem.Code.TIMEOUT, "the call took longer than the API allows; what it asked for may still be under way:"
                + " check the domains' state before asking again");
    }

    @ExceptionHandler(org.springframework.core.task.TaskRejectedException.class)
    public ResponseEntity<String> busy(org.springframework.core.task.TaskRejectedException e) {
        return answer(ApiProblem.Code.UNAVAILABLE, "the API is busy with other calls; nothing was done; try again shortly");
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> unavailable(Exception e) {
        LOG.error("api: a call failed", e);
        return answer(ApiProblem.Code.UNAVAILABLE, "the event log could not be read or written; the operators have the details in the API's log");
    }
}
