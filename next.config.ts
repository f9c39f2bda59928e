// Next.js configuration. Server-only packages with native or worker-thread parts stay outside the bundle.
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["pg", "pino", "pino-pretty", "@prisma/adapter-pg", "kafkajs"],
  devIndicators: false,
};

export default nextConfig;
