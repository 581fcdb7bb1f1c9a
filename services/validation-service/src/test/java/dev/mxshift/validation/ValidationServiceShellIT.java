package dev.mxshift.validation;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.service.ServiceShellContract;
import org.springframework.test.context.TestPropertySource;

/** The bare shell: the handler is off, because the shell contract's made-up domains have nothing to validate against. */
@TestPropertySource(properties = "mxshift.validation.handler.enabled=false")
class ValidationServiceShellIT extends ServiceShellContract {

    @Override
    protected ServiceRole expectedRole() {
        return ServiceRole.VALIDATION;
    }
}
