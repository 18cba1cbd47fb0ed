import { useState } from "react";
import { signIn } from "../api";

export function SignIn() {
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body: Record<string, string> = { username: String(form.get("username")), password: String(form.get("password")) };
    if (creating && form.get("displayName")) body.displayName = String(form.get("displayName"));
    setBusy(true);
    setError(null);
    try {
      await signIn(creating ? "register" : "login", body);
    } catch (err) {
      setError(err instanceof Error ? err.message : "That did not work.");
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{creating ? "Create your Chat account" : "Log in to Chat"}</h1>
        <label>
          Username
          <input name="username" autoComplete="username" required minLength={3} maxLength={32} autoFocus />
        </label>
        {creating && (
          <label>
            Display name
            <input name="displayName" autoComplete="name" maxLength={64} />
          </label>
        )}
        <label>
          Password
          <input name="password" type="password" autoComplete={creating ? "new-password" : "current-password"} required minLength={creating ? 8 : 1} />
        </label>
        {creating && <p className="hint">At least 8 characters, with upper and lower case letters, a digit and a symbol.</p>}
        {error && (
          <p role="alert" className="failure">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {creating ? "Sign up" : "Log in"}
        </button>
        <button type="button" className="link" onClick={() => (setCreating(!creating), setError(null))}>
          {creating ? "I have an account" : "Create account"}
        </button>
      </form>
    </main>
  );
}
