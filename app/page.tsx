import { LiveView } from "./live-view";

export const dynamic = "force-dynamic";

export default function Home() {
  return <LiveView />;
}
