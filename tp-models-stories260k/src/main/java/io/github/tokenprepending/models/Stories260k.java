package io.github.tokenprepending.models;

import io.github.tokenprepending.hub.BundledModel;
import io.github.tokenprepending.hub.BundledModels;
import java.nio.file.Path;

/** Makes {@link BundledModels#DEMO} ({@code stories260k}) a model name every front end accepts. */
public final class Stories260k implements BundledModel {
    @Override
    public String name() {
        return BundledModels.DEMO;
    }

    @Override
    public Path directory() {
        return ToyModel.directory();
    }
}
