import { Suspense } from "react";
import { AuthForm } from "../../src/components/AuthForm";

export const metadata = { title: "Create account" };

export default function SignUpPage() {
  return (
    <div className="mx-auto max-w-sm py-8">
      <h1 className="mb-2 text-2xl font-semibold">Create your account</h1>
      <p className="mb-6 text-sm text-zinc-400">
        Teachers create a class after signing up; students join one with the invite code their teacher gives them.
      </p>
      <Suspense>
        <AuthForm mode="sign-up" />
      </Suspense>
    </div>
  );
}
