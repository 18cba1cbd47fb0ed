import { useState } from "react";
import { navigate } from "../route";
import type { ChatStore } from "../store";
import type { Conversation } from "../types";
import { Avatar, Dialog, PeopleSearch } from "./common";

/** A conversation's details: for a group, its name and members, and leaving it. */
export function Details({ store, conversation: c, onClose }: { store: ChatStore; conversation: Conversation; onClose: () => void }) {
  const [name, setName] = useState(c.name ?? "");
  const [error, setError] = useState<string | null>(null);
  const myRole = c.members.find((m) => m.userId === store.me.id)?.role;
  const admin = myRole === "owner" || myRole === "admin";
  const run = (work: () => Promise<unknown>) => {
    setError(null);
    work().catch((e: Error) => setError(e.message));
  };

  return (
    <Dialog title={c.type === "group" ? "Group details" : "Details"} onClose={onClose}>
      <div className="stack">
        {c.type === "group" && admin && (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              run(() => store.update(c.id, { name: name.trim() }));
            }}
          >
            <label>
              Group name
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
            </label>
            <button type="submit" disabled={name.trim() === "" || name.trim() === c.name}>
              Rename
            </button>
          </form>
        )}
        <h3>Members</h3>
        <ul className="members">
          {c.members.map((m) => {
            const memberName = store.userName(m.userId);
            return (
              <li key={m.userId}>
                <Avatar name={memberName} url={store.users.get(m.userId)?.avatarUrl} presence={store.presence.get(m.userId)} />
                <span>
                  {memberName} {m.role !== "member" && <small>{m.role}</small>}
                </span>
                {c.type === "group" && admin && m.userId !== store.me.id && m.role !== "owner" && (
                  <button type="button" onClick={() => run(() => store.removeMember(c.id, m.userId))}>
                    Remove {memberName}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        {c.type === "group" && admin && (
          <>
            <h3>Add people</h3>
            <PeopleSearch store={store} exclude={c.members.map((m) => m.userId)} onPick={(u) => run(() => store.addMembers(c.id, [u.id]))} />
          </>
        )}
        {error && (
          <p role="alert" className="failure">
            {error}
          </p>
        )}
        {c.type === "group" && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              run(async () => {
                await store.removeMember(c.id, store.me.id);
                onClose();
                navigate("/");
              })
            }
          >
            Leave group
          </button>
        )}
      </div>
    </Dialog>
  );
}
