package dev.paddock.dubbo;

/** A {@link Greeter} that signs its answers with its provider's id. */
final class NamedGreeter implements Greeter {
    private final String id;

    NamedGreeter(String id) {
        this.id = id;
    }

    /** The provider id in an answer of {@link #greet}. */
    static String answeredBy(String answer) {
        return answer.substring(0, answer.indexOf(':'));
    }

    @Override
    public String greet(String name) {
        return id + ":hello " + name;
    }

    @Override
    public String slow(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return id + ":slept " + millis;
    }
}
