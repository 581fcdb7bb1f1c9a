package dev.mxshift.validation;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.service.ServiceShellContract;

class ValidationServiceShellIT extends ServiceShellContract {

    @Override
    protected ServiceRole expectedRole() {
        return ServiceRole.VALIDATION;
    }
}
