package dev.mxshift.recordgeneration;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.service.ServiceShellContract;
import org.springframework.test.context.TestPropertySource;

/** The bare shell: the handler is off; RecordGenerationServiceIT runs it. */
@TestPropertySource(properties = "mxshift.record-generation.handler.enabled=false")
class RecordGenerationServiceShellIT extends ServiceShellContract {

    @Override
    protected ServiceRole expectedRole() {
        return ServiceRole.RECORD_GENERATION;
    }
}
