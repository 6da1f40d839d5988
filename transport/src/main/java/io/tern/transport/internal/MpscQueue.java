package io.tern.transport.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Unbounded multi-producer, single-consumer FIFO queue of non-null elements, built as a linked
 * list of nodes with a permanent "stub" at the head (Vyukov's MPSC node queue, written for Tern
 * from the algorithm's description).
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li>{@link #offer(Object)} may be called from any thread, concurrently. It never blocks and
 *       takes no lock: one {@code getAndSet} on the tail plus one release store, so it is
 *       wait-free.</li>
 *   <li>{@link #poll()} and {@link #drain(Consumer, int)} must only be called by the single
 *       consumer thread (the owning event loop). Calling them from two threads at once corrupts the
 *       queue; this is not checked.</li>
 *   <li>{@link #isEmpty()} may be called from any thread. It is exact on the consumer thread (in the
 *       sense described there) and only a hint elsewhere.</li>
 *   <li>The queue itself must be safely published to producers (for example held in a
 *       {@code final} field of the event loop).</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * Actions of a producer before {@code offer(e)} happen-before actions of the consumer after the
 * {@code poll()} (or {@code drain} callback) that returns {@code e}: the producer links the node
 * with a release store, the consumer reads the link with an acquire load. Elements are returned in
 * the order in which producers swapped the tail, which is a total order consistent with each
 * producer's program order (so one producer's elements stay in its own order).
 *
 * <h2>Progress caveat</h2>
 * A producer publishes in two steps: it swaps the tail, then links the previous tail to its node.
 * Between those two steps (a few instructions, unless the producer is descheduled) the element is
 * already "in" the queue ({@link #isEmpty()} is {@code false}) but not yet reachable, and neither
 * are elements offered after it. {@link #poll()} does not spin on this: it returns {@code null}, so
 * a descheduled producer can never stall the event loop. The consumer must therefore decide
 * whether it may block with {@link #isEmpty()}, not with a {@code null} from {@code poll()}; see
 * {@link WakeupGate} for the complete protocol.
 *
 * <h2>Allocation</h2>
 * One 24-byte node per {@code offer} (with compressed oops), nothing per {@code poll}. A node-per-
 * element list was chosen over an array-chunked queue because it is far simpler to prove correct,
 * needs no resize/jump protocol, and the node is a short-lived TLAB allocation that dies young;
 * tasks submitted to an event loop already allocate (a lambda or message) so the node does not
 * change the steady-state allocation profile much. The consumer unlinks each consumed node so a
 * node that happened to be promoted to the old generation cannot keep younger nodes reachable.
 *
 * <h2>Layout</h2>
 * The consumer-written {@code head} and the producer-contended {@code tail} are separated by 128
 * bytes of padding (via superclasses, whose fields HotSpot lays out first) so that producers'
 * CAS traffic on {@code tail} does not invalidate the consumer's {@code head} line (false sharing).
 *
 * @param <E> element type
 */
public final class MpscQueue<E> extends MpscQueueTail {

    /** Creates an empty queue. */
    public MpscQueue() {
        super(new MpscNode(null));
    }

    /**
     * Appends an element. Callable from any thread; never blocks, never fails for capacity.
     *
     * @param element the element, not {@code null}
     * @throws NullPointerException if {@code element} is {@code null}
     */
    public void offer(E element) {
        MpscNode node = new MpscNode(Objects.requireNonNull(element, "element"));
        // Linearization point: the swap totally orders all producers. It is a volatile
        // read-modify-write, which the WakeupGate protocol relies on (see there).
        MpscNode previous = swapTail(node);
        // Release store: publishes node.value, and everything this thread did before offer(),
        // to the consumer that reads the link with an acquire load.
        MpscNode.NEXT.setRelease(previous, node);
    }

    /**
     * Removes and returns the head element. Consumer thread only.
     *
     * <p>Returns {@code null} when the queue is empty, and also when the next element's producer is
     * between its two publication steps (see the class comment); use {@link #isEmpty()} to tell
     * the two apart.
     *
     * @return the head element, or {@code null} if none is reachable right now
     */
    public E poll() {
        MpscNode current = head; // plain read: only this (consumer) thread writes head
        MpscNode next = (MpscNode) MpscNode.NEXT.getAcquire(current);
        if (next == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        E element = (E) next.value;
        next.value = null; // next becomes the new stub: do not keep the element reachable
        advanceHead(next);
        // No producer can touch 'current' any more (its link is already written), so break the
        // chain for the GC: a promoted dead node must not keep the live list reachable.
        current.next = null;
        return element;
    }

    /**
     * Removes up to {@code limit} elements, passing each to {@code action} in FIFO order. Consumer
     * thread only. Stops early when {@link #poll()} would return {@code null}.
     *
     * <p>Each element is removed before {@code action} sees it; if {@code action} throws, the
     * exception propagates, that element is gone, and the rest stay queued.
     *
     * @param action receives each element
     * @param limit maximum number of elements to remove; {@code 0} removes nothing
     * @return how many elements were removed and passed to {@code action}
     * @throws IllegalArgumentException if {@code limit} is negative
     * @throws NullPointerException if {@code action} is {@code null}
     */
    public int drain(Consumer<? super E> action, int limit) {
        Objects.requireNonNull(action, "action");
        if (limit < 0) {
            throw new IllegalArgumentException("limit < 0: " + limit);
        }
        int drained = 0;
        while (drained < limit) {
            E element = poll();
            if (element == null) {
                break;
            }
            drained++;
            action.accept(element);
        }
        return drained;
    }

    /**
     * Tells whether no element has been offered that the consumer has not yet removed, counting
     * elements whose {@code offer} is still in progress as present.
     *
     * <p>On the consumer thread the answer is exact for every {@code offer} whose tail swap
     * precedes this call (it reads the tail with volatile semantics); from other threads it is an
     * approximation that may be stale by the time it is returned.
     *
     * @return {@code true} if the queue is empty
     */
    public boolean isEmpty() {
        return headAcquire() == tail;
    }
}

/** Queue node; {@code next} is written once by a producer (release) and read by the consumer (acquire). */
final class MpscNode {
    static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(MpscNode.class, "next", MpscNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Object value;
    MpscNode next;

    MpscNode(Object value) {
        this.value = value;
    }
}

/** Consumer-side field, laid out first. */
abstract class MpscQueueHead {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(MpscQueueHead.class, "head", MpscNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written only by the consumer, with release semantics so that other threads' isEmpty() sees it. */
    MpscNode head;

    MpscQueueHead(MpscNode stub) {
        this.head = stub;
    }

    final void advanceHead(MpscNode newHead) {
        HEAD.setRelease(this, newHead); // a plain store on x86/TSO
    }

    final MpscNode headAcquire() {
        return (MpscNode) HEAD.getAcquire(this);
    }
}

/** 128 bytes between head and tail: two cache lines, covering adjacent-line prefetch. */
abstract class MpscQueuePad extends MpscQueueHead {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;

    MpscQueuePad(MpscNode stub) {
        super(stub);
    }
}

/** Producer-side field, contended by all producers. */
abstract class MpscQueueTail extends MpscQueuePad {
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MpscQueueTail.class, "tail", MpscNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile MpscNode tail;

    MpscQueueTail(MpscNode stub) {
        super(stub);
        this.tail = stub;
    }

    final MpscNode swapTail(MpscNode node) {
        return (MpscNode) TAIL.getAndSet(this, node);
    }
}
