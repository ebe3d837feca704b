package mailroom.directory.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An alias answer is a value: its addresses copied, compared by content, joined once for the MTA. */
class AliasAnswerTest {
    @Test
    void joinsItsAddressesOnceInTheirOrder() {
        AliasAnswer answer = AliasAnswer.targets(List.of("b@acme.test", "a@acme.test", "c@other.test"));
        assertEquals("b@acme.test,a@acme.test,c@other.test", answer.commaSeparated());
        assertSame(answer.commaSeparated(), answer.commaSeparated());
    }

    @Test
    void noAddressesIsNotFoundAndTheListIsCopied() {
        assertSame(AliasAnswer.NOT_FOUND, AliasAnswer.targets(List.of()));
        List<String> addresses = new ArrayList<>(List.of("a@acme.test"));
        AliasAnswer answer = AliasAnswer.targets(addresses);
        addresses.add("b@acme.test");
        assertEquals(List.of("a@acme.test"), answer.addresses());
        assertEquals("a@acme.test", answer.commaSeparated());
    }

    @Test
    void equalByKindAndAddresses() {
        assertEquals(AliasAnswer.targets(List.of("a@acme.test")), AliasAnswer.targets(List.of("a@acme.test")));
        assertEquals(AliasAnswer.targets(List.of("a@acme.test")).hashCode(), AliasAnswer.targets(List.of("a@acme.test")).hashCode());
        assertNotEquals(AliasAnswer.targets(List.of("a@acme.test")), AliasAnswer.targets(List.of("b@acme.test")));
        assertNotEquals(AliasAnswer.NOT_FOUND, AliasAnswer.TOO_LARGE);
    }
}
