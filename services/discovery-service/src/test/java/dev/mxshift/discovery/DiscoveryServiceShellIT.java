package dev.mxshift.discovery;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.service.ServiceShellContract;
import org.springframework.test.context.TestPropertySource;

/** The bare shell: the handler is off, because the shell contract's made-up domains have no DNS to ask (DiscoveryServiceIT runs it). */
@TestPropertySource(properties = "mxshift.discovery.handler.enabled=false")
class DiscoveryServiceShellIT extends ServiceShellContract {

    @Override
    protected ServiceRole expectedRole() {
        return ServiceRole.DISCOVERY;
    }
}
