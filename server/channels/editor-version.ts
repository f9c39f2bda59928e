// An editor's latest version of a moment (headline, description, clip points) applied to what each channel
// decider formatted from the agents' text, so an approved moment goes out as the editor left it. Pure
// functions over the stored payloads; the byline says who edited it.
import { escapeSlack } from "../agents/channels/channel-format";

export interface EditorVersion {
  version: number;
  editor: string;
  headline: string;
  description: string;
  clipIn: string | null;
  clipOut: string | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A clip ({ sessionId, in, out, … }) with the editor's points; none when the editor removed them. */
function editedClip(clip: unknown, edit: EditorVersion): unknown {
  if (edit.clipIn === null || edit.clipOut === null) return null;
  return isObject(clip) ? { ...clip, in: edit.clipIn, out: edit.clipOut } : clip;
}

function editedItem(item: Json, edit: EditorVersion): Json {
  return {
    ...item,
    title: edit.headline,
    summary: edit.description,
    clip: editedClip(item.clip, edit),
    editedBy: edit.editor,
    version: edit.version,
  };
}

function editedSlackBlocks(blocks: unknown[], edit: EditorVersion): unknown[] {
  let descriptionDone = false;
  return blocks.flatMap((block) => {
    if (!isObject(block)) return [block];
    const text = isObject(block.text) ? block.text : undefined;
    if (block.type === "header" && text) {
      return [{ ...block, text: { ...text, text: edit.headline.slice(0, 150) } }];
    }
    // The first section holds the description; the later one the story.
    if (block.type === "section" && text && !descriptionDone) {
      descriptionDone = true;
      return [{ ...block, text: { ...text, text: escapeSlack(edit.description) } }];
    }
    const elements = Array.isArray(block.elements) ? block.elements : [];
    const clipLine = elements.find(
      (element): element is Json =>
        isObject(element) && typeof element.text === "string" && element.text.startsWith("Clip "),
    );
    if (block.type === "context" && clipLine) {
      if (edit.clipIn === null || edit.clipOut === null) return [];
      const line = (clipLine.text as string).replace(
        /^Clip \d{2}:\d{2}:\d{2}-\d{2}:\d{2}:\d{2}/,
        `Clip ${edit.clipIn}-${edit.clipOut}`,
      );
      return [{ ...block, elements: [{ ...clipLine, text: line }] }];
    }
    return [block];
  });
}

/** The stored payload of one channel with the editor's version applied; unknown shapes pass unchanged. */
export function applyEditorVersion(payload: unknown, edit: EditorVersion, sport: string): unknown {
  if (!isObject(payload)) return payload;
  switch (payload.format) {
    case "feed":
      return isObject(payload.item) ? { ...payload, item: editedItem(payload.item, edit) } : payload;
    case "webhook": {
      const delivery = isObject(payload.delivery) ? payload.delivery : undefined;
      if (!delivery || typeof delivery.body !== "string") return payload;
      const body = JSON.parse(delivery.body) as Json;
      if (isObject(body.moment)) body.moment = editedItem(body.moment, edit);
      return { ...payload, delivery: { ...delivery, body: JSON.stringify(body) } };
    }
    case "slack": {
      const message = isObject(payload.message) ? payload.message : undefined;
      if (!message || !Array.isArray(message.blocks)) return payload;
      const blocks = editedSlackBlocks(message.blocks, edit);
      blocks.push({
        type: "context",
        elements: [
          { type: "mrkdwn", text: escapeSlack(`Edited by ${edit.editor} (version ${edit.version}).`) },
        ],
      });
      return {
        ...payload,
        message: { ...message, text: escapeSlack(`${edit.headline} (${sport})`), blocks },
      };
    }
    default:
      return payload;
  }
}
