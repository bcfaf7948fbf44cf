package dev.paddock.dubbo;

/** The service every scenario exports: answers say which provider served them. */
public interface Greeter {
    /** "{@code <provider id>}:hello {@code name}". */
    String greet(String name);

    /** Sleeps {@code millis}, then answers with the provider id: a call a consumer timeout can cut. */
    String slow(int millis);
}
