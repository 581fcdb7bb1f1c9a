package dev.mxshift.operator;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;

/** The API's contract, served as written: {@code openapi.yaml}, which a test keeps in step with the controllers. */
@RestController
@RequestMapping("/api/v1")
class OpenApiEndpoint {

    static byte[] document() throws IOException {
        try (InputStream spec = OpenApiEndpoint.class.getResourceAsStream("/openapi.yaml")) {
            return spec.readAllBytes();
        }
    }

    @GetMapping("/openapi.yaml")
    public ResponseEntity<byte[]> openapi() throws IOException {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml")).body(document());
    }
}
