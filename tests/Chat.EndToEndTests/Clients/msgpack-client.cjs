// A hub client on SignalR's JavaScript MessagePack protocol, run by HubProtocolTests with NODE_PATH pointing at the
// web client's packages. Env: CHAT_URL, CHAT_TOKEN, CHAT_CONVERSATION. Prints one JSON line of what it saw.
const signalR = require("@microsoft/signalr");
const { MessagePackHubProtocol } = require("@microsoft/signalr-protocol-msgpack");

const conversationId = process.env.CHAT_CONVERSATION;
setTimeout(() => { console.error("timed out"); process.exit(2); }, 20000).unref();

(async () => {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(process.env.CHAT_URL + "/hubs/chat", { accessTokenFactory: () => process.env.CHAT_TOKEN })
    .withHubProtocol(new MessagePackHubProtocol())
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  const received = new Promise((resolve) => connection.on("messageReceived", (message) => {
    if (message.clientMessageId === "msgpack-1") resolve(message);
  }));
  await connection.start();
  const missed = await connection.invoke("GetMissed", { [conversationId]: 0 });
  const ack = await connection.invoke("SendMessage", { conversationId, clientMessageId: "msgpack-1", content: "over MessagePack" });
  const event = await received;
  let refusal = null;
  try {
    await connection.invoke("SendMessage", { conversationId, clientMessageId: "msgpack-2", content: "" });
  } catch (error) {
    refusal = error.message;
  }
  await connection.stop();
  console.log(JSON.stringify({ missed, ack, event, refusal }));
})().catch((error) => { console.error(error); process.exit(1); });
