import type { Metadata } from "next";
import { OpsView } from "./ops-view";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Operations · Peaklight" };

export default function OperationsPage() {
  return <OpsView />;
}
