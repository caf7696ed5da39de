package io.wsk.adapter;

/** Creates the adapter of each namespace (one adapter per namespace, as in the reference). */
@FunctionalInterface
public interface AdapterFactory {

    Adapter create(AdapterNamespace nsp);
}
