package io.wsk.app;

import io.wsk.http.HttpServer;

/** One of the apps {@code wsk serve --app} can run: mounts its endpoints, and stops them. */
interface ServerApp {

    void mount(HttpServer.Builder http);

    /** Closes sessions before the listener stops. */
    void stop();
}
