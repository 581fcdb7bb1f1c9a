package dev.mxshift.dnspush;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.service.ServiceShellContract;

class DnsPushServiceShellIT extends ServiceShellContract {

    @Override
    protected ServiceRole expectedRole() {
        return ServiceRole.DNS_PUSH;
    }
}
