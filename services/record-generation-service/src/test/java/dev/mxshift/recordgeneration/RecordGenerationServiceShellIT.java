package dev.mxshift.recordgeneration;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.service.ServiceShellContract;

class RecordGenerationServiceShellIT extends ServiceShellContract {

    @Override
    protected ServiceRole expectedRole() {
        return ServiceRole.RECORD_GENERATION;
    }
}
