const { temporal } = require('@temporalio/proto');
const fs = require('fs');
const h = temporal.api.history.v1.History.decode(fs.readFileSync(process.argv[2]));
const [from, to] = [Number(process.argv[3]), Number(process.argv[4])];
const ET = temporal.api.enums.v1.EventType;
for (const e of h.events) {
  const id = Number(e.eventId);
  if (id < from || id > to) continue;
  let extra = '';
  const a = e.activityTaskScheduledEventAttributes;
  if (a) extra = a.activityType.name + ' ' + a.activityId;
  const c = e.activityTaskCompletedEventAttributes;
  if (c) extra = 'sched ' + c.scheduledEventId;
  const s = e.activityTaskStartedEventAttributes;
  if (s) extra = 'sched ' + s.scheduledEventId + ' attempt ' + s.attempt;
  const ua = e.workflowExecutionUpdateAcceptedEventAttributes;
  if (ua) extra = 'update ' + ua.protocolInstanceId + ' ' + ua.acceptedRequest?.input?.name + ' msgEvent ' + ua.acceptedRequestSequencingEventId;
  const uc = e.workflowExecutionUpdateCompletedEventAttributes;
  if (uc) extra = 'update ' + uc.meta?.updateId + ' accepted ' + uc.acceptedEventId;
  const ua2 = e.workflowExecutionUpdateAdmittedEventAttributes;
  if (ua2) extra = 'admitted ' + ua2.request?.meta?.updateId;
  const up = e.upsertWorkflowSearchAttributesEventAttributes;
  if (up)
    extra = Object.entries(up.searchAttributes.indexedFields)
      .map(([k, v]) => k + '=' + Buffer.from(v.data).toString())
      .join(' ');
  const wt = e.workflowTaskTimedOutEventAttributes;
  if (wt) extra = 'timeout ' + wt.timeoutType;
  const wf = e.workflowTaskFailedEventAttributes;
  if (wf) extra = 'failed ' + wf.cause;
  const m = e.markerRecordedEventAttributes;
  if (m) extra = m.markerName;
  const ts = e.timerStartedEventAttributes;
  if (ts) extra = 'timer ' + ts.timerId;
  console.log(
    id,
    ET[e.eventType].replace('EVENT_TYPE_', ''),
    new Date(Number(e.eventTime.seconds) * 1000 + e.eventTime.nanos / 1e6).toISOString().slice(11, 23),
    extra,
  );
}
