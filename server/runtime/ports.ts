// Free loopback ports for the services Peaklight starts itself (tests, bench, the local Kafka broker).
import net from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on right now, other than those in `avoid`. */
export async function freePort(avoid: readonly number[] = []): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port: found } = server.address() as net.AddressInfo;
        server.close(() => resolve(found));
      });
    });
    if (!avoid.includes(port)) return port;
  }
}
