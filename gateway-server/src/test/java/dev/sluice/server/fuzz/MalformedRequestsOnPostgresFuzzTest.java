package dev.sluice.server.fuzz;

import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The odd targets of {@link MalformedRequestsFuzzTest} on the routes that look things up in the store, on PostgreSQL:
 * it refuses some text H2 takes (a NUL) with an error. Skipped when no PostgreSQL server is running.
 */
class MalformedRequestsOnPostgresFuzzTest {

    private static FuzzGateway gateway;

    @BeforeAll
    static void start() {
        gateway = FuzzGateway.start(StoreKind.POSTGRES);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> storeRoutesRefuseOddTargetsCleanly() {
        return MalformedRequestsFuzzTest.oddTargets(gateway, FuzzRoutes.OTHERS);
    }
}
