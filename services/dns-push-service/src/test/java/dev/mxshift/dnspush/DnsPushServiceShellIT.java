package dev.mxshift.dnspush;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.service.ServiceShellContract;
import org.springframework.test.context.TestPropertySource;

/** The bare shell: the handler is off, because the shell contract's made-up domains have no provider; DnsPushServiceIT runs it. */
@TestPropertySource(properties = "mxshift.push.handler.enabled=false")
class DnsPushServiceShellIT extends ServiceShellContract {

    @Override
    protected ServiceRole expectedRole() {
        return ServiceRole.DNS_PUSH;
    }
}
