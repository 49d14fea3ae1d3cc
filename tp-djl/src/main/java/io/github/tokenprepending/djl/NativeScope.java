package io.github.tokenprepending.djl;

import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The native resources of one pass or prefix cache: a sub-manager of the model's manager (its arrays) and the
 * IValues created for calls. Closing frees both, once.
 */
final class NativeScope implements AutoCloseable {
    private final PtNDManager manager;
    private final List<IValue> values = new ArrayList<>();
    private boolean closed;

    NativeScope(PtNDManager parent) {
        this.manager = (PtNDManager) parent.newSubManager();
    }

    PtNDManager manager() {
        return manager;
    }

    /** Keeps an IValue until the scope closes. */
    IValue own(IValue value) {
        values.add(value);
        return value;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        values.forEach(IValue::close);
        values.clear();
        manager.close();
    }
}
