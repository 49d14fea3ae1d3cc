package io.github.tokenprepending.server;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One row of the server's route table: everything the server derives about a route (registration, the API key check,
 * admission during shutdown, the metrics label, the 404 message's list) comes from here.
 *
 * @param method the HTTP method
 * @param path the path
 * @param open true for a route answered without the API key and while shutting down ({@code /health})
 * @param handler the handler
 */
record Route(HandlerType method, String path, boolean open, Handler handler) {
    static Route post(String path, Handler handler) {
        return new Route(HandlerType.POST, path, false, handler);
    }

    static Route get(String path, Handler handler) {
        return new Route(HandlerType.GET, path, false, handler);
    }

    /** @return {@code METHOD /path}, as the server lists its routes */
    @Override
    public String toString() {
        return method.name() + " " + path;
    }
}
