/**
 * An error as Kafka names it, then the sentence: "NOT_ENOUGH_REPLICAS: only 1 of …".
 */
export function ErrorText({ message, testId }: { message: string; testId?: string }) {
  const match = /^([A-Z_]+): (.*)$/s.exec(message);
  return (
    <div className="error" role="alert" data-testid={testId}>
      {match ? (
        <>
          <strong>{match[1]}</strong> {match[2]}
        </>
      ) : (
        message
      )}
    </div>
  );
}
