package dev.weft.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    private final BufferPool pool = new BufferPool(1024, 2, () -> true);

    @Test
    void lendsClearedDirectBuffersAndTakesThemBack() {
        var a = pool.acquire();
        assertTrue(a.isDirect());
        assertEquals(1024, a.remaining());
        assertEquals(1, pool.lent());
        a.put((byte) 7).flip();
        pool.release(a);
        assertEquals(0, pool.lent());
        assertEquals(1, pool.pooled());
        var again = pool.acquire();
        assertSame(a, again, "reused");
        assertEquals(0, again.position());
        assertEquals(1024, again.limit());
    }

    @Test
    void theFreeListIsBounded() {
        var a = pool.acquire();
        var b = pool.acquire();
        var c = pool.acquire();
        assertNotSame(a, c);
        assertEquals(3, pool.lent());
        pool.release(a);
        pool.release(b);
        pool.release(c);                      // dropped: the free list holds 2
        assertEquals(2, pool.pooled());
        assertEquals(0, pool.lent());
    }

    @Test
    void foreignBuffersAndDoubleReleasesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> pool.release(ByteBuffer.allocate(1024)));
        assertThrows(IllegalArgumentException.class, () -> pool.release(ByteBuffer.allocateDirect(512)));
        var a = pool.acquire();
        pool.release(a);
        assertThrows(AssertionError.class, () -> pool.release(a));
    }
}
