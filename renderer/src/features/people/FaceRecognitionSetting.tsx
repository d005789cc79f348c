/** The Settings card that turns face recognition on or off (off deletes every face and name). */
import { useState } from 'react';
import { useAvailable, useClient } from '../../api/hooks';
import { useCall } from '../../api/queries';

export function FaceRecognitionSetting() {
  const client = useClient();
  const available = useAvailable('setFaceRecognition');
  const state = useCall('people', {});
  const [busy, setBusy] = useState(false);
  if (!available || !state.data) return null;
  const set = async (enabled: boolean) => {
    if (!enabled && !window.confirm('Turn face recognition off? Every face found, and every name you gave, is deleted.')) return;
    setBusy(true);
    try {
      await client.call('setFaceRecognition', { enabled });
      state.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="settings-card" data-testid="face-setting">
      <h2>People</h2>
      <p className="muted small">Finds the faces in your photos and groups them by person, on this computer only. Turning it off deletes every face and name.</p>
      <label>
        <input type="checkbox" checked={state.data.enabled} disabled={busy} onChange={(e) => void set(e.target.checked)} data-testid="face-toggle" /> Face recognition
      </label>
    </section>
  );
}
